"""Local AWS emulator for cytoskel: moto plus S3 Access Grants (and IAM/STS fixes).

Modules:

- ``cli``: the ``serve`` command (arguments, logging, lifecycle);
- ``server``: moto's WSGI dispatcher with the Access Grants routes added;
- ``bootstrap``: the admin IAM user and the ``CPG`` profile files;
- ``responses``: the S3 Control Access Grants operations;
- ``models``: Access Grants state, per (account, region);
- ``scopes``: ``s3://`` scope parsing and matching;
- ``principals``: lookups in moto IAM/STS, trust policies, minting credentials;
- ``sessions``: what GetDataAccess credentials may reach;
- ``trust``: role trust-policy evaluation;
- ``assume_role``: ``sts:AssumeRole`` authorization (identity + trust policy);
- ``service_credentials``: the IAM service-specific credential operations;
- ``user_deletion``: what must be gone before IAM ``DeleteUser``;
- ``hooks``: fixes and extensions installed into moto (authorization, IAM);
- ``checksums``: payload integrity headers of S3 Control requests;
- ``paging``: ``maxResults`` / ``nextToken``;
- ``wire``: model-driven XML replies and errors.
"""
