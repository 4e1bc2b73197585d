FROM ruby:3.3-slim
WORKDIR /app
COPY . .
RUN gem install bundler -v 2.5.10 && bundle config set without development
RUN bundle install --jobs 4 --frozen
EXPOSE 4567
CMD ["bundle", "exec", "ruby", "app.rb"]
