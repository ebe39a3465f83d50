"""Fusion Partner Finder — entry point: page set-up, language, navigation."""

import streamlit as st

from fusion_partners.i18n import t
from fusion_partners.ui import common

lang = common.init_language()
st.set_page_config(page_title=t("app.title", lang), page_icon="⚛️", layout="wide")

pages = [
    st.Page("pages/explore.py", title=t("nav.explore", lang), icon=":material/travel_explore:",
            default=True),
    st.Page("pages/profile.py", title=t("nav.profile", lang), icon=":material/apartment:",
            url_path="profile"),
    st.Page("pages/partners.py", title=t("nav.partners", lang), icon=":material/handshake:",
            url_path="partners"),
]
page = st.navigation(pages)
common.language_switch(lang)
page.run()
