"""The portal: server-rendered web pages for citizens and officers over the services' APIs."""
