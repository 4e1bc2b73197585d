FROM ruby:2.7-bullseye

RUN apt-get update -qq
RUN apt-get install -y nodejs postgresql-client
RUN apt-get install -y imagemagick
RUN curl -sS https://dl.yarnpkg.com/debian/pubkey.gpg | apt-key add -
RUN echo "deb https://dl.yarnpkg.com/debian/ stable main" | tee /etc/apt/sources.list.d/yarn.list
RUN apt-get update && apt-get install -y yarn

RUN mkdir /myapp
WORKDIR /myapp

ADD . /myapp
RUN gem install bundler -v 2.3.26
RUN bundle install
RUN yarn install --check-files
RUN bundle exec rake assets:precompile

# Add a script to be executed every time the container starts.
COPY entrypoint.sh /usr/bin/
RUN chmod +x /usr/bin/entrypoint.sh
ENTRYPOINT ["entrypoint.sh"]
EXPOSE 3000

# Start the main process.
CMD rails server -b 0.0.0.0
