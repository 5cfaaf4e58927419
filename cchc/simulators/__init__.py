"""The national and commercial services' local simulators, as one small HTTP server of their own.

None of the services CCHC connects to (VNPAY, PayGov, the e-receipt providers, VNeID, the SMS and Zalo
providers, the national portal DVCQG, VNPost) is reachable from a development machine, so each is played
here by a simulator that speaks the provider's protocol.
It is a separate process (`python -m cchc.simulators --port P`, or `manage.py run_simulators`, which
hands it CCHC's credentials) with its own Django settings (`cchc.simulators.settings`), its own SQLite
store and one URL prefix per service (`/vnpay/`, `/paygov/`, `/hoa-don/<provider>/`, `/vneid/`, `/sms/…`,
`/zalo/`, `/dvcqg/`, `/vnpost/`). CCHC reaches it only over HTTP through each provider's configured base
URL, so going live is configuration only; where a provider notifies the merchant (VNPAY's IPN, PayGov's
result, the SMS and ZNS delivery reports) the simulator calls CCHC's callback URL over HTTP and records
what it sent (`/_sim/callbacks`).

Nothing in CCHC imports this package: the simulators import CCHC's pure protocol modules (the
signatures, the field lists), never the other way round.
"""
