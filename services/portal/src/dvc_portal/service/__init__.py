"""Use-cases of the portal: its sessions and the calls to the other services' APIs."""
