FROM node:20-slim AS tools
ENV D=4
RUN npm install -g pnpm

FROM node:20-slim
# merged into one
ENV NODE_ENV=production
ENV PORT=3000
ENV HOST=0.0.0.0
# refused: uses PORT, set just before
ENV URL=http://$HOST:$PORT/
ENV LOG_LEVEL=info \
    LOG_FORMAT=json
ENV NO_COLOR=1
# blank lines between: merged
ENV A=1

ENV B=2
# comment lines between: kept apart
ENV B2=2
# legacy form that env-form leaves alone: not merged
ENV GREETING "hi $USER"
ENV C=3
COPY --from=tools /usr/local/lib/node_modules/pnpm /opt/pnpm
CMD ["node", "server.js"]
