"""Local AWS emulator for cytoskel: moto plus S3 Access Grants.

Modules:

- ``cli``: the ``serve`` command (arguments, logging, lifecycle);
- ``server``: moto's WSGI dispatcher with the Access Grants routes added;
- ``bootstrap``: the admin IAM user and the ``CPG`` profile files;
- ``responses``: the S3 Control Access Grants operations;
- ``models``: Access Grants state, per (account, region);
- ``scopes``: ``s3://`` scope parsing and matching;
- ``principals``: lookups in moto IAM/STS, trust policies, minting credentials;
- ``sessions``: what GetDataAccess credentials may reach;
- ``hooks``: fixes and extensions installed into moto's authorization;
- ``checksums``: payload integrity headers of S3 Control requests;
- ``paging``: ``maxResults`` / ``nextToken``;
- ``wire``: model-driven XML replies and errors.
"""
