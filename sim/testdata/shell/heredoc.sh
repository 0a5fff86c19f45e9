# shells: dash bash
# source: POSIX.1-2017 XCU 2.7.4 Here-Document, examples
x=val
cat <<EOT
value $x $(echo sub)
EOT
cat <<'EOT'
literal $x
EOT
cat <<-EOT
	tabs stripped $x
	EOT
