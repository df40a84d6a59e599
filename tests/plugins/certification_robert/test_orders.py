"""« Mes commandes » through the pages: the cart recomputed by the server (− / +, the seed's figures to the
cent), « Commander » emails the sales team (loopback SMTP) a French quote request with the PDF quote and a
signed, one-use link; accepting grows the stock, a second use answers « lien déjà utilisé »."""

import io
import re
from datetime import UTC, datetime, timedelta

import pypdf
import pytest

from core.testing.fixtures import csrf_token, login, submit
from plugins.certification_robert.services import orders
from tests.plugins.certification_robert.test_planning import mails, smtp_settings  # noqa: F401

NB = "\u00a0"
SEED = {"PART-CLR-EXAMEN": "10", "PART-LAPOSTE-EXAMEN": "10"}


def url(c, path: str) -> str:
    return f"/offices/{c.org.office_id}/m/certification_robert{path}"


def parts(message) -> dict[str, str]:
    return {p.get_content_type(): p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
            for p in message.walk() if p.get_content_maintype() == "text"}


def eur(text: str) -> str:
    return text.replace(" ", NB) + f"{NB}€"


async def test_cart_page_recomputes_without_script(centre, client) -> None:
    c = await centre()
    await login(client, c.org.owner_email)
    new = url(c, "/commandes/nouvelle")
    page = await client.get(new)
    assert page.status_code == 200 and "PART-LAPOSTE-EXAMEN" in page.text and eur("71,00") in page.text
    plus = await submit(client, new, new, {"PART-CLR-EXAMEN": "2", "PART-LAPOSTE-EXAMEN": "0",
                                           "action": "plus:PART-CLR-EXAMEN"})
    assert 'value="3"' in plus.text and eur("213,00") in plus.text
    minus = await submit(client, new, new, {"PART-CLR-EXAMEN": "0", "PART-LAPOSTE-EXAMEN": "0",
                                            "action": "moins:PART-CLR-EXAMEN"})
    assert 'name="PART-CLR-EXAMEN" inputmode="numeric" class="narrow-number" data-unit-cents="7100" value="0"' \
        in minus.text
    script = await client.get(url(c, "/commandes/cart.js"))
    assert script.headers["content-type"].startswith("text/javascript") and "recompute" in script.text
    seed = await submit(client, new, new, {**SEED, "action": "recalculer"})
    for figure in ("710,00", "1 000,00", "1 710,00", "342,00", "2 052,00"):
        assert eur(figure) in seed.text, figure
    bad = await submit(client, new, new, {"PART-CLR-EXAMEN": "dix", "PART-LAPOSTE-EXAMEN": "1", "action": "commander"})
    assert bad.status_code == 422
    assert 'aria-invalid="true" aria-describedby="qty-PART-CLR-EXAMEN-error"' in bad.text
    assert 'id="qty-PART-CLR-EXAMEN-error">La quantité doit être un entier' in bad.text
    empty = await submit(client, new, new, {"PART-CLR-EXAMEN": "0", "PART-LAPOSTE-EXAMEN": "0", "action": "commander"})
    assert empty.status_code == 422 and "Choisissez au moins une certification" in empty.text
    assert "Vous n'avez pas encore passé de commande." in (await client.get(url(c, "/commandes"))).text


async def test_order_email_pdf_and_one_use_link(centre, client, mails) -> None:  # noqa: F811
    c = await centre()
    assert (await c.call("PUT", "/settings", json={"sales_email": "ventes@lerobert.example"})).status_code == 200
    await login(client, c.org.owner_email)
    new = url(c, "/commandes/nouvelle")
    done = await submit(client, new, new, {**SEED, "action": "commander"})
    assert done.status_code in (302, 303), done.text
    listing = await client.get(done.headers["location"])
    assert "Votre commande n°" in listing.text and "Devis demandé" in listing.text and eur("2 052,00") in listing.text
    [mail] = await mails("ventes@lerobert.example")
    assert "Demande de devis" in str(mail["Subject"]) and "Centre de langues Molière" in str(mail["Subject"])
    body = parts(mail)
    text = body["text/plain"]
    assert "PART-CLR-EXAMEN" in text and eur("2 052,00") in text and "une seule fois" in text
    attachments = [p for p in mail.walk() if p.get_content_type() == "application/pdf"]
    assert len(attachments) == 1 and attachments[0].get_filename().startswith("devis-")
    pdf = attachments[0].get_payload(decode=True)
    quote = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Devis n°" in quote and "PART-LAPOSTE-EXAMEN" in quote and "2 052,00" in quote.replace(NB, " ")
    link = re.search(r"http://testserver\.local(/public/\S+)", text).group(1)
    assert f"/public/offices/{c.org.office_id}/" in link

    client.cookies.clear()  # the sales team is not signed in
    page = await client.get(link)
    assert page.status_code == 200 and "Accepter la commande" in page.text
    assert (await c.call("GET", "/stock")).json() == {"centre": 0, "laposte": 0}
    token = await csrf_token(client, link)
    accepted = await client.post(link, data={"decision": "accepter", "_csrf_token": token},
                                 headers={"Referer": f"http://testserver.local{link}"})
    assert accepted.status_code == 200 and "Commande acceptée" in accepted.text
    assert (await c.call("GET", "/stock")).json() == {"centre": 10, "laposte": 10}
    again = await client.post(link, data={"decision": "refuser", "_csrf_token": token},
                              headers={"Referer": f"http://testserver.local{link}"})
    assert again.status_code == 409 and "Lien déjà utilisé" in again.text
    reopened = await client.get(link)
    assert reopened.status_code == 409 and "Lien déjà utilisé" in reopened.text
    assert "Accepter la commande" not in reopened.text
    assert (await c.call("GET", "/stock")).json() == {"centre": 10, "laposte": 10}

    forged = link.rsplit(".", 1)[0] + ".AAAA"
    assert (await client.get(forged)).status_code == 404
    other = await centre("École Voltaire")
    assert (await client.get(link.replace(f"/offices/{c.org.office_id}/",
                                          f"/offices/{other.org.office_id}/"))).status_code == 404
    await login(client, c.org.owner_email)
    assert "Acceptée" in (await client.get(url(c, "/commandes"))).text


async def test_refused_order_leaves_the_stock(centre, client, mails) -> None:  # noqa: F811
    c = await centre()
    await login(client, c.org.owner_email)
    new = url(c, "/commandes/nouvelle")
    await submit(client, new, new, {"PART-CLR-EXAMEN": "3", "PART-LAPOSTE-EXAMEN": "0", "action": "commander"})
    [mail] = await mails("commercial@lerobert.example")  # the settings' default address
    link = re.search(r"http://testserver\.local(/public/\S+)", parts(mail)["text/plain"]).group(1)
    token = await csrf_token(client, link)
    refused = await client.post(link, data={"decision": "refuser", "_csrf_token": token},
                                headers={"Referer": f"http://testserver.local{link}"})
    assert refused.status_code == 200 and "Commande refusée" in refused.text
    assert (await c.call("GET", "/stock")).json() == {"centre": 0, "laposte": 0}
    assert "Refusée" in (await client.get(url(c, "/commandes"))).text


async def test_orders_are_for_admins(centre, add_member, client) -> None:
    c = await centre()
    _, email = await add_member(c.org, "basic")
    await login(client, email)
    assert (await client.get(url(c, "/commandes"))).status_code == 403
    assert (await client.get(url(c, "/commandes/nouvelle"))).status_code == 403


@pytest.mark.nodb
def test_link_signature_and_expiry() -> None:
    now = datetime(2026, 12, 2, tzinfo=UTC)
    token = orders.sign_link("s" * 32, 7, 42, now)
    assert orders.check_link("s" * 32, 7, token, now) == 42
    with pytest.raises(orders.NotFound):
        orders.check_link("s" * 32, 8, token, now)  # another office
    with pytest.raises(orders.NotFound):
        orders.check_link("t" * 32, 7, token, now)  # another secret
    with pytest.raises(orders.NotFound):
        orders.check_link("s" * 32, 7, token.replace("42.", "43.", 1), now)
    with pytest.raises(orders.LinkExpired):
        orders.check_link("s" * 32, 7, token, now + orders.LINK_LIFETIME + timedelta(seconds=1))


async def test_concurrent_uses_of_the_link_credit_the_stock_once(centre, client, mails) -> None:  # noqa: F811
    import asyncio

    from core.plugin_api import SocleError
    from core.tenancy.tables import Office
    from plugins.certification_robert.services import stock
    from plugins.certification_robert.services.common import Ctx

    c = await centre()
    ctx = Ctx(c.org.organisation_id, c.org.office_id)
    placed = await orders.place(ctx, {"PART-CLR-EXAMEN": 4, "PART-LAPOSTE-EXAMEN": 1}, secret="k" * 32,
                                base_url="http://x.example", sales_email="ventes@lerobert.example",
                                link_path="/devis/{token}")
    assert placed["total_ttc"] == eur("460,80")  # (4 × 71 + 100) × 1,2
    token = orders.sign_link("k" * 32, c.org.office_id, placed["id"])
    office = await Office.objects().where(Office.id == c.org.office_id).first()
    results = await asyncio.gather(*[orders.decide(office, "k" * 32, token, True) for _ in range(8)],
                                   return_exceptions=True)
    assert sum(not isinstance(r, SocleError) for r in results) == 1
    assert all(isinstance(r, orders.LinkUsed) for r in results if isinstance(r, BaseException))
    assert await stock.levels(ctx) == {"centre": 4, "laposte": 1}
