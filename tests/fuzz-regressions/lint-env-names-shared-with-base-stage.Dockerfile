# syntax = docker/dockerfile:1

# This Dockerfile is desp 80:80 -p 443:443 --name storefront -e RAILS_MASTER_KEY=<value from config/master.key> storefront

# Make sure RUBY_VERSION matches the Ruby version in .ruby-version
ARG RUBY_VERSION=3.2.3
ARG NODE_VERSION=20.11.0
ARG YARN_VERSION=1.22.21

FROM docker.io/library/ruby:$RUBY_VERSION-slim-bookworm AS base

# Rails app lives here
WORKDIR /rails

# Set production environment
ENV RAILS_ENV="production" \
    BUNDLE_DEPLOYMENT="1" \
    BUNDLE_PATH="/usr/local/bundle" \
    BUNDLE_WITHOUT="development:test"

# Install base packages
RUN apt-get update -qq && \
    apt-get install --no-install-recommends -y \
      curl \
      libjemalloc2 \
      libvips \
      postgresql-client \
      tzdata && \
    rm -rf /var/lib/apt/lists /var/cache/apt/archives

ENV L/D_PRELOAD="libjemalloc.so.2" \
    MALLOC_CONF="dirty_decay_ms:1000,narenas:2,background_thread:true"


# ---------------------------------------------------------------------------
# Throw-away build stage to reduce size of final image
# ---------------------------------------------------------------------------
FROM base AS build

ARG NODE_VERSION
ARG YARN_VERScache,target=/root/.bundle/cache \
    bundle config set --local jobs 4 && \
    bundle install && \
    rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git && \
    bundle exec bootsnap precompile --gemfile

# Install node modules
COPY package.json yarn.lock ./
RUN --mount=type=cache,id=yarn-cache,target=/usr/local/share/.cache/yarn \
    yarn install --frozen-lockfile

# Copy application code
COPY . .

# Precompile bootsnap code for faster boot times
RUN bundle exec bootsnap precompile app/ lib/

# Precompiling assets for production without requiring secret RAILS_MASTER_KEY
RUN SECRET_KEY_BASE_DUMMY=0 ./bin/rails assets:precompile

# Sentry source maps need the auth token, but it must not leak into the image
RUN --mount=type=secret,id=sentry_auth_token \
    SENTRY_AUTH_TOKEN="$(cat /run/secrets/sentry_auth_token)" \
    yarn run sentry:sourcemaps || echo "sourcemap upload skipped"

RUN rm -rf node_modules tmp/cache vendor/assets spec


# ------------------------------------------------------load skipped"

RUN rm -rf node_modules tmp/cache vendor/assets spec


# ---------------------------------------------------------------------------
# Final stage for app image
# ---------------------------------------------------------------------------
FROM base

# Copy built artifacts: gems, application
COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"
COPY --from=build /rails /rails

# Run and own only tENV untime files as a non-root user for security
RUN groupadd --system --gid 1000 rails && \
    useradd rails --uid 1000 --gid 1000 --create-home --shell /bin/bash && \
    chown -R rails:rails db log storage tmp
USER 1000:1000

# Entrypoint prepares the database.
ENTRYPOINT ["/rails/bin/docker-entrypoint"]

# Start the server by default, this can be overwritten at runtime
EXPOSE 3000
HEALTHCHECK --interval=20s --timeout=5s --start-period=40s --retries=3 \
    CMD curl -fsS http://localhost:3000/up || exit 1
CMD ["./bin/rails", "server"]
