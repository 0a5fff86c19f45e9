# In a lab, sudo just runs the command.
sudo id
sudo -u nobody whoami
