"""Runs the Python snippets of docs/signatures.md, as ReceiverDocsTest extracted them into
<snippet dir>, over samples the test wrote (ReceiverDocsTest.cpp says the layout):
  python3 run_snippets.py <snippet dir> <samples file>    prints "<sample dir>\t<check>\t<ok|error>"
  python3 run_snippets.py <snippet dir> convert <secret>  prints the converted secret
Checks: webhook (verify_webhook.py), smb (verify.py)."""
import importlib.util
import os
import sys


def load(snippet_dir, name, relative):
    spec = importlib.util.spec_from_file_location(name, os.path.join(snippet_dir, relative))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outcome(check):
    try:
        check()
        return "ok"
    except Exception as err:  # the verdict, whatever the snippet raised
        return (str(err).splitlines() or [""])[0] or type(err).__name__


def main():
    snippet_dir, mode = sys.argv[1], sys.argv[2]
    if mode == "convert":
        namespace = {"old_secret": sys.argv[3]}
        with open(os.path.join(snippet_dir, "python/convert_secret.py"), encoding="utf-8") as code:
            exec(code.read(), namespace)  # the docs' snippet as it is
        print(namespace["converted"])
        return
    verify_webhook = load(snippet_dir, "verify_webhook", "python/verify_webhook.py")
    verify = load(snippet_dir, "verify", "python/verify.py")
    with open(mode, encoding="utf-8") as samples:
        directories = [line for line in samples.read().split("\n") if line]
    for directory in directories:
        def read(name, directory=directory):
            with open(os.path.join(directory, name), "rb") as f:
                return f.read()
        headers = {name: read(name).decode("utf-8") for name in
                   ("webhook-id", "webhook-timestamp", "webhook-signature", "x-smb-signature")}
        body, secret, now = read("body"), read("secret").decode("utf-8"), int(read("now"))
        webhook = outcome(lambda: verify_webhook.verify_webhook_signature(headers, body, secret, now))
        smb = outcome(lambda: verify.verify_smb_signature(headers["x-smb-signature"], body, secret, now))
        print(f"{directory}\twebhook\t{webhook}")
        print(f"{directory}\tsmb\t{smb}")


main()
