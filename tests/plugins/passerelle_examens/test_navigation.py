"""The module's pages in the sidebar, « Fournisseurs » included, the current one marked for assistive tech."""

from core.testing.fixtures import login


async def test_fournisseurs_is_in_the_navigation_and_marked_current(client, school) -> None:
    s = await school()
    await login(client, s.org.owner_email)
    href = s.page("/fournisseurs")
    page = await client.get(href)
    assert page.status_code == 200
    assert f'<a href="{href}" aria-current="page">Fournisseurs</a>' in page.text
    other = await client.get(s.page("/eleves"))
    assert f'<a href="{href}" >Fournisseurs</a>' in other.text
    assert f'<a href="{s.page("/eleves")}" aria-current="page">Élèves</a>' in other.text
