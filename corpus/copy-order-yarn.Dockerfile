FROM node:20-alpine AS build
WORKDIR /usr/src/app
COPY . .
RUN yarn install --frozen-lockfile && yarn cache clean
RUN yarn build

FROM nginx:1.27-alpine
COPY --from=build /usr/src/app/dist /usr/share/nginx/html
