# nsenter joins the namespaces of another process.
unshare -Uurf --mount-proc -p sh -c 'hostname inner; sleep 10 & sleep 0.5; nsenter -t $! -u hostname; nsenter -t 1 -a sh -c "hostname; id"; kill $!'
nsenter -t 1 -u hostname
nsenter -u hostname; echo status=$?
nsenter -t 999 -u true; echo status=$?
