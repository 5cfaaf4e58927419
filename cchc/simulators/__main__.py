"""`python -m cchc.simulators [--host H] [--port P]`: make the store's tables, then serve every simulator
on one port (threads: a payment page calls the merchant back while other requests arrive). With port 0
the system picks a free one; the first line printed is `listening on http://H:P` either way."""

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m cchc.simulators", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("SIMULATOR_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SIMULATOR_PORT", "8001")))
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.simulators.settings"
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    django.setup()
    os.makedirs(os.path.dirname(settings.DATABASES["default"]["NAME"]) or ".", exist_ok=True)
    call_command("migrate", run_syncdb=True, verbosity=0)
    from .wsgi import application

    server = ThreadedWSGIServer((args.host, args.port), WSGIRequestHandler)
    server.set_app(application)
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
