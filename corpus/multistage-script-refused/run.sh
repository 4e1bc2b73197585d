#!/bin/sh
exec /src/app "$@"
