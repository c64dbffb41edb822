#!/bin/sh
# The same checks as ../junit-suite, reported as TAP on stdout.
echo '1..2'
echo 'ok 1 - echo'
if [ "$(id -u)" = 0 ]; then echo 'ok 2 - runs as root'; else echo 'not ok 2 - runs as root'; fi
