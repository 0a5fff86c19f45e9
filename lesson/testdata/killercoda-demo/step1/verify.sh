#!/bin/bash
test -f /tmp/setup-done
