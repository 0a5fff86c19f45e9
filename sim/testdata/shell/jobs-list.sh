# shells: bash
# source: bash(1) JOB CONTROL: "jobs" lists the active jobs, also in a non-interactive shell
sleep 10 & sleep 20 &
jobs; kill %1 %2; wait; echo end
