#!/bin/bash
grep -q hello-from-step1 /tmp/greeting
