# gem install gets --no-document at -O2 only (no rdoc/ri files: the image's files change).
FROM ruby:3.3-slim
RUN gem install bundler:2.5.6
CMD ["bundle", "--version"]
