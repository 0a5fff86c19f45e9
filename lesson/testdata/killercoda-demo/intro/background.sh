#!/bin/bash
echo ready > /tmp/setup-done
touch /tmp/finished
