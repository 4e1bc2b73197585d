#!/bin/sh
exec app "$@"
