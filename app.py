"""Fusion Partner Finder — entry point: page set-up, language, navigation."""

import streamlit as st

from fusion_partners import config
from fusion_partners.i18n import t
from fusion_partners.ui import common, data
from fusion_partners.ui.insights import W_LINKS, W_MEASURE, W_PRESENT

lang = common.init_language()
data.recover_at_start(str(config.data_dir()), str(config.db_path()))
st.set_page_config(page_icon="⚛️", layout="wide")  # each page's title names the tab

pages = [
    st.Page(
        "pages/explore.py",
        title=t("nav.explore", lang),
        icon=":material/travel_explore:",
        default=True,
    ),
    st.Page(
        "pages/partners.py",
        title=t("nav.partners", lang),
        icon=":material/handshake:",
        url_path="partners",
    ),
    st.Page(
        "pages/insights.py",
        title=t("nav.insights", lang),
        icon=":material/insights:",
        url_path="insights",
    ),
    st.Page(
        "pages/profile.py",
        title=t("nav.profile", lang),
        icon=":material/apartment:",
        url_path="profile",
    ),
    st.Page(
        "pages/shortlists.py",
        title=t("nav.shortlists", lang),
        icon=":material/bookmarks:",
        url_path="shortlists",
    ),
    st.Page(
        "pages/import.py",
        title=t("nav.import", lang),
        icon=":material/upload_file:",
        url_path="import",
    ),
    st.Page(
        "pages/editors.py",
        title=t("nav.editors", lang),
        icon=":material/fact_check:",
        url_path="editors",
    ),
]
page = st.navigation(pages)
if page.url_path == "insights":  # Back/Forward: the Insights view follows the restored URL
    common.reread_url_on_history(W_PRESENT, W_MEASURE, W_LINKS)
common.language_switch(lang)
common.page_style()
common.browser_history()
common.mark_entrypoint()
page.run()
