"""The certifier's simulator posts signed results to Socle over real HTTP (the app on a loopback port): good
results are recorded; each injected fault (wrong secret, stale timestamp, replay, broken body) is refused with
the status the route promises."""

from plugins.certification_robert import simulator
from plugins.certification_robert.tables import Candidate
from tests.plugins.certification_robert.test_results import SECRET, assigned


async def test_simulator_results_and_faults_over_http(live_server, centre, capsys) -> None:
    c = await centre()
    ids = await assigned(c, 2)
    office = c.org.office_id
    for fault, status in (("signature", 401), ("expiree", 401), ("corps", 422)):
        r = await simulator.send_results(live_server, office, SECRET, simulator.parse_results(["c0@clr.com:700:B2"]),
                                         fault)
        assert r.status_code == status, (fault, r.text)
    r = await simulator.send_results(live_server, office, SECRET, simulator.parse_results(["c0@clr.com:700:B2"]),
                                     "rejeu")
    assert r.status_code == 409
    code = await simulator.command([live_server, str(office), SECRET, "c1@clr.com:455:b1"])
    assert code == 0 and '{"recorded":1}' in capsys.readouterr().out
    assert {r["status"] for r in await Candidate.select(Candidate.status).where(Candidate.id.is_in(ids))} == {
        "passee"}
    assert await simulator.command([live_server, str(office), SECRET, "pas-un-resultat"]) == 2
    assert await simulator.command([live_server, str(office), SECRET, "c1@clr.com:1:B1", "--panne", "x"]) == 2
