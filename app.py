"""Fusion Partner Finder — entry point: page set-up, language, navigation."""

import streamlit as st

from fusion_partners import config
from fusion_partners.i18n import t
from fusion_partners.ui import common, data
from fusion_partners.ui.insights import W_LINKS, W_MEASURE, W_PRESENT

lang = common.init_language()
data.recover_at_start(str(config.data_dir()), str(config.db_path()))
st.set_page_config(page_icon="⚛️", layout="wide")  # each page's title names the tab

PAGES = (  # script, message key, icon, URL path ("" for the default page)
    ("explore", "nav.explore", ":material/travel_explore:", ""),
    ("partners", "nav.partners", ":material/handshake:", "partners"),
    ("insights", "nav.insights", ":material/insights:", "insights"),
    ("profile", "nav.profile", ":material/apartment:", "profile"),
    ("shortlists", "nav.shortlists", ":material/bookmarks:", "shortlists"),
    ("import", "nav.import", ":material/upload_file:", "import"),
    ("editors", "nav.editors", ":material/fact_check:", "editors"),
)
pages = [
    st.Page(f"pages/{script}.py", title=t(key, lang), icon=icon, default=True)
    if not path
    else st.Page(f"pages/{script}.py", title=t(key, lang), icon=icon, url_path=path)
    for script, key, icon, path in PAGES
]
page = st.navigation(pages)
if page.url_path == "insights":  # Back/Forward: the Insights view follows the restored URL
    common.reread_url_on_history(W_PRESENT, W_MEASURE, W_LINKS)
common.language_switch(lang)
common.page_style()
common.browser_history()
common.mark_entrypoint()
page.run()
