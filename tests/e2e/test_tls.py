"""TLS: certificate verification is on by default and follows the AWS CLI's
settings.

A local HTTPS endpoint is moto's own server (`moto_server`) with a
certificate this test makes with openssl: a private CA, a server
certificate for localhost signed by it, and a second CA that signed
nothing. cytoskel must refuse the server without the CA (exit 255, a clear
message naming the certificate), accept it with AWS_CA_BUNDLE or a
profile's ca_bundle, refuse it with the wrong CA and for a certificate of
another host name, and accept anything only with --no-verify-ssl, which
warns. `moto_server -s` (its own throw-away certificate) is refused too.
"""

import os
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from tests.e2e.cytoskel_run import clean_env, run
from tests.emulator.harness import free_port

OTHER = 255


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   capture_output=True, timeout=60)


def make_ca(directory, name):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out",
            f"{name}.pem", cwd=directory)
    return os.path.join(directory, f"{name}.pem")


def make_server_cert(directory, name, ca, hosts):
    """A certificate for `hosts` (DNS names and 127.0.0.1) signed by `ca`."""
    san = ",".join([f"DNS:{h}" for h in hosts] + ["IP:127.0.0.1"])
    with open(os.path.join(directory, f"{name}.ext"), "w") as f:
        f.write(f"subjectAltName={san}\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={hosts[0]}",
            "-keyout", f"{name}.key", "-out", f"{name}.csr", cwd=directory)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem",
            "-CAkey", f"{ca}.key", "-CAcreateserial", "-days", "2",
            "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=directory)
    return (os.path.join(directory, f"{name}.pem"),
            os.path.join(directory, f"{name}.key"))


class MotoServer:
    """`moto_server` over HTTPS on a free port of 127.0.0.1."""

    def __init__(self, *tls_args):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["moto_server", "-H", "127.0.0.1", "-p", str(self.port),
             *tls_args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items()
                 if not k.startswith("AWS_")})
        self.wait_ready()

    def wait_ready(self):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port),
                                              timeout=1) as raw:
                    with context.wrap_socket(raw):
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("moto_server did not start over TLS")

    @property
    def endpoint(self):
        return f"https://localhost:{self.port}"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class TlsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cytoskel-tls-")
        cls.ca = make_ca(cls.dir, "ca")
        cls.other_ca = make_ca(cls.dir, "other-ca")
        cert, key = make_server_cert(cls.dir, "server", "ca",
                                     ["localhost", "*.localhost"])
        cls.server = MotoServer("-c", cert, "-k", key)
        cert, key = make_server_cert(cls.dir, "wrong-name", "ca",
                                     ["example.com"])
        cls.wrong_name = MotoServer("-c", cert, "-k", key)
        cls.adhoc = MotoServer("-s")

    @classmethod
    def tearDownClass(cls):
        for server in (cls.server, cls.wrong_name, cls.adhoc):
            server.stop()

    def whoami(self, server, *flags, **env):
        environment = clean_env(HOME=self.dir, AWS_REGION="us-east-1",
                                AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
                                AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/"
                                "bPxRfiCYEXAMPLEKEY",
                                **env)
        return run(["--endpoint-url", server.endpoint, *flags, "whoami"],
                   environment, timeout=60)

    def assert_refused(self, result):
        self.assertEqual(result.returncode, OTHER, result.stderr)
        self.assertIn("certificate", result.stderr.lower())
        self.assertTrue(result.stderr.startswith("cytoskel: error: "),
                        result.stderr)
        self.assertEqual(result.stdout, "")

    def assert_accepted(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("123456789012", result.stdout)

    def test_refused_without_its_ca(self):
        self.assert_refused(self.whoami(self.server))

    def test_accepted_with_aws_ca_bundle(self):
        self.assert_accepted(self.whoami(self.server, AWS_CA_BUNDLE=self.ca))

    def test_accepted_with_a_profile_ca_bundle(self):
        config = os.path.join(self.dir, "config")
        with open(config, "w") as f:
            f.write(f"[profile tls]\nregion = us-east-1\n"
                    f"ca_bundle = {self.ca}\n")
        self.assert_accepted(self.whoami(self.server, AWS_CONFIG_FILE=config,
                                         AWS_PROFILE="tls"))

    def test_refused_with_another_ca(self):
        self.assert_refused(self.whoami(self.server,
                                        AWS_CA_BUNDLE=self.other_ca))

    def test_refused_for_another_host_name(self):
        result = self.whoami(self.wrong_name, AWS_CA_BUNDLE=self.ca)
        self.assertEqual(result.returncode, OTHER, result.stderr)
        self.assertRegex(result.stderr.lower(), "certificate|host ?name")

    def test_moto_servers_own_certificate_is_refused(self):
        self.assert_refused(self.whoami(self.adhoc))

    def test_a_missing_ca_bundle_is_a_clear_error(self):
        result = self.whoami(self.server, AWS_CA_BUNDLE=os.path.join(
            self.dir, "missing.pem"))
        self.assertIn(result.returncode, (253, OTHER), result.stderr)
        self.assertIn("missing.pem", result.stderr)

    def test_no_verify_ssl_accepts_and_warns(self):
        result = self.whoami(self.adhoc, "--no-verify-ssl")
        self.assert_accepted(result)
        self.assertIn("verif", result.stderr.lower())


if __name__ == "__main__":
    unittest.main()
