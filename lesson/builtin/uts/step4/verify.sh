#!/bin/bash
# Passes when /root/uts-kept holds a UTS namespace named kept.
[ "$(nsenter --uts=/root/uts-kept hostname 2>/dev/null)" = kept ]
