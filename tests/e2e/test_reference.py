"""Shell completion and the man page, generated from the command table."""

import subprocess
import unittest

from tests.e2e.cytoskel_run import BINARY, clean_env, run


def bash_complete(words):
    """The completions bash offers after `words` (the last one partial)."""
    script = (f'source <("{BINARY}" completion bash)\n'
              f'COMP_WORDS=({" ".join(words)})\n'
              f'COMP_CWORD={len(words) - 1}\n'
              '_cytoskel\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    result = subprocess.run(["bash", "-c", script], capture_output=True,
                            text=True, timeout=30)
    return sorted(result.stdout.split())


class ReferenceTest(unittest.TestCase):
    def test_bash_completes_commands_and_options_by_position(self):
        cases = [
            (["cytoskel", "cpg"], ["cpgstaging"]),
            (["cytoskel", "cpgstaging", "li"], ["list"]),
            (["cytoskel", "cpgstaging", "list", "u"], ["user"]),
            (["cytoskel", "cpgstaging", "up", "--dr"], ["--dry-run"]),
            (["cytoskel", "--profile", "CPG", "who"], ["whoami"]),
            (["cytoskel", "cpgstaging", "destroy", "--pro"], ["--profile"]),
        ]
        for words, expected in cases:
            with self.subTest(words=words):
                self.assertEqual(bash_complete(words), expected)

    def test_every_shell_gets_a_script_and_others_are_refused(self):
        env = clean_env(HOME="/nonexistent")
        for shell, marker in (("bash", "complete -F _cytoskel cytoskel"),
                              ("zsh", "bashcompinit"),
                              ("fish", "complete -c cytoskel")):
            with self.subTest(shell=shell):
                result = run(["completion", shell], env)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(marker, result.stdout)
        refused = run(["completion", "tcsh"], env)
        self.assertEqual(refused.returncode, 252)
        self.assertIn("bash, zsh and fish", refused.stderr)

    def test_man_page_documents_every_command(self):
        page = run(["man"], clean_env(HOME="/nonexistent")).stdout
        self.assertTrue(page.startswith(".TH CYTOSKEL 1"))
        for command in ("cpgstaging up", "cpgstaging destroy",
                        "cpgstaging list location", "whoami",
                        "credentials", "exec", "grants"):
            self.assertIn(f'.SS "cytoskel {command}"', page)
        self.assertIn(".B 252\nbad command line", page)


if __name__ == "__main__":
    unittest.main()
