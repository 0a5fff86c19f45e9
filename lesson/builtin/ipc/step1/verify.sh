#!/bin/bash
# Passes when the lab host's IPC namespace has a message queue.
ipcs -q | grep -q "^0x"
