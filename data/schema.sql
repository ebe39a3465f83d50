-- Fusion Partner Finder database schema (DuckDB 2).
-- Built from the curated CSVs in this folder by `python -m fusion_partners.build`.
-- The app opens the built file read-only.

CREATE TABLE capabilities (
    slug        VARCHAR PRIMARY KEY,
    group_en    VARCHAR NOT NULL,
    group_ja    VARCHAR NOT NULL,
    label_en    VARCHAR NOT NULL,
    label_ja    VARCHAR NOT NULL,
    group_order INTEGER NOT NULL,   -- order of first appearance of the group in the taxonomy
    sort_order  INTEGER NOT NULL,   -- row order in the taxonomy
    bit         INTEGER NOT NULL,   -- this capability's bit in organisations.cap_mask (0..62)
    label_key   VARCHAR NOT NULL    -- match keys of the English and Japanese labels (search)
);

CREATE TABLE organisations (
    id                 VARCHAR PRIMARY KEY,       -- stable slug, e.g. 'kyoto-fusioneering'
    name_en            VARCHAR,                   -- NULL for an organisation known only by its Japanese name
    name_ja            VARCHAR,
    country            VARCHAR NOT NULL,          -- ISO 3166-1 alpha-2
    prefecture_or_city VARCHAR,
    org_type           VARCHAR NOT NULL,
    membership         VARCHAR NOT NULL,          -- j_fusion | fusion_cluster | other (none stated)
    membership_class   VARCHAR,
    website            VARCHAR,
    capabilities       VARCHAR[] NOT NULL,        -- taxonomy slugs, taxonomy order, no repeats
    cap_mask           BIGINT NOT NULL,           -- the same as bits (capabilities.bit), for fast filters
    role_mask          BIGINT NOT NULL,           -- roles as bits (bit i = roster.ROLES[i]), for the partner model
    family_mask        INTEGER NOT NULL,          -- concept families as bits (1 magnetic, 2 inertial): partner_rules.family_mask
    n_sources          INTEGER NOT NULL,          -- len(string_split(source_urls, ' ')) (partner ranking)
    description_en     VARCHAR,
    evidence           VARCHAR,
    source_urls        VARCHAR NOT NULL,          -- space-separated, as researched (also in `sources`)
    source_date        VARCHAR,                   -- as researched: YYYY-MM-DD, YYYY-MM or NULL
    source_date_start  DATE,                      -- first day the source date can mean
    confidence         VARCHAR NOT NULL,          -- high | medium | low
    confidence_rank    TINYINT NOT NULL,          -- 3 | 2 | 1
    rosters            VARCHAR[] NOT NULL,        -- research rosters / imports the record came from
    name_keys          VARCHAR[] NOT NULL,        -- match keys of the names and the romanised reading
    search_text        VARCHAR NOT NULL,          -- match key of every searchable field, newline-joined
    name_rank          INTEGER NOT NULL,          -- position in name order: English name, else Japanese (table sorting)
    name_rank_ja       INTEGER NOT NULL,          -- position in Japanese order: kana reading first, then English names
    roles              VARCHAR[] NOT NULL,        -- roster.ROLES, as curated
    offers             VARCHAR[] NOT NULL,        -- capability leaves it supplies or does for others (seeds, シーズ)
    needs              VARCHAR[] NOT NULL,        -- capability leaves it buys or seeks (ニーズ)
    implied_needs      VARCHAR[] NOT NULL,        -- what its fusion concept needs beyond those stated (partner_model.CONCEPT_NEEDS)
    aliases            VARCHAR[] NOT NULL,        -- names people type (short, former, katakana, English)
    description_ja     VARCHAR,
    facet_basis        VARCHAR,                   -- the evidence behind roles, offers and needs
    remit              VARCHAR NOT NULL,          -- national | regional | international (roster.REMITS)
    successor          VARCHAR,                   -- the organisation a business sold on now belongs to (no candidate itself)
    memberships        VARCHAR[] NOT NULL         -- councils, from memberships.csv and the membership column
);

-- Capability leaves (rows of data/capabilities.csv with a parent group).
CREATE TABLE capability_leaves (
    slug          VARCHAR PRIMARY KEY,
    parent        VARCHAR NOT NULL,       -- the capability group (capabilities.slug)
    label_en      VARCHAR NOT NULL,
    label_ja      VARCHAR NOT NULL,
    definition_en VARCHAR NOT NULL,
    definition_ja VARCHAR NOT NULL,
    sort_order    INTEGER NOT NULL,       -- row order in the taxonomy
    label_key     VARCHAR NOT NULL,       -- match keys of the English and Japanese labels (search: offers and needs)
    n_offer       INTEGER NOT NULL,       -- organisations offering it
    n_need        INTEGER NOT NULL,       -- organisations needing it
    idf           DOUBLE                  -- ln(N / n_offer); NULL when nobody offers it
);

CREATE TABLE organisation_units (       -- a unit of another organisation and that parent (data/units.py)
    unit   VARCHAR NOT NULL,
    parent VARCHAR NOT NULL,
    PRIMARY KEY (unit, parent)
);

CREATE TABLE organisation_facets (      -- one row per (organisation, facet, leaf)
    org_id VARCHAR NOT NULL,
    facet  VARCHAR NOT NULL,            -- offer | need | implied (a need its fusion concept implies)
    leaf   VARCHAR NOT NULL,
    PRIMARY KEY (org_id, facet, leaf)
);

-- Sourced council memberships (data/memberships.csv joined with organisations.membership).
CREATE TABLE memberships (
    org_id           VARCHAR NOT NULL,
    council          VARCHAR NOT NULL,  -- j_fusion | fusion_cluster
    membership_class VARCHAR,
    source_urls      VARCHAR[] NOT NULL,
    date             VARCHAR,
    evidence         VARCHAR,
    PRIMARY KEY (org_id, council)
);

-- Per organisation and country: how many distinct organisations of that country it has a
-- documented collaboration with (the partner finder's track-record term), computed by the build.
CREATE TABLE link_partner_countries (
    org_id  VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (org_id, country)
);

-- Documented collaborations (data/links.csv, merged); org_a < org_b is not implied.
CREATE TABLE links (
    link_id     INTEGER PRIMARY KEY,
    org_a       VARCHAR NOT NULL,
    org_b       VARCHAR NOT NULL,
    relation    VARCHAR NOT NULL,       -- links.RELATIONS
    year        INTEGER,
    what        VARCHAR NOT NULL,
    source_urls VARCHAR[] NOT NULL
);

-- Search index: every whitespace-separated token of organisations.search_text, with the
-- organisations (name_rank) whose text holds it. A search term has no whitespace, so it occurs
-- in a text exactly when it occurs inside one of the text's tokens: scanning the (far smaller)
-- token list with contains() finds the same organisations as scanning every text.
CREATE TABLE search_tokens (
    token VARCHAR NOT NULL,
    orgs  INTEGER[] NOT NULL
);

-- Search synonyms (data/search_synonyms.csv): a query term equal to one member of a group also
-- matches the other members (e.g. トカマク ↔ tokamak, 超伝導 ↔ 超電導). Keys are match keys.
CREATE TABLE search_synonyms (
    group_id INTEGER NOT NULL,
    term_key VARCHAR NOT NULL
);

-- Aliases written without Latin letters or digits (京大, 量研, 古河電工): a search term equal to one
-- finds the organisations that bear it as a name, not every text that contains it (東京大学
-- contains 京大). Keys are match keys.
CREATE TABLE alias_terms (
    term_key VARCHAR PRIMARY KEY
);

CREATE TABLE organisation_capabilities (
    org_id     VARCHAR NOT NULL,
    capability VARCHAR NOT NULL,
    PRIMARY KEY (org_id, capability)
);

CREATE TABLE sources (
    org_id   VARCHAR NOT NULL,
    position INTEGER NOT NULL,   -- order as cited
    url      VARCHAR NOT NULL,
    host     VARCHAR NOT NULL,   -- the site, for display
    PRIMARY KEY (org_id, position)
);

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- Import log and value history (from imports.csv and history.csv; empty when those files are absent).
CREATE TABLE imports (
    import_id     VARCHAR PRIMARY KEY,   -- e.g. '20261129T104500Z-3f2a9c1d'
    file_name     VARCHAR NOT NULL,      -- as uploaded ('; '-separated for a batch)
    content_hash  VARCHAR NOT NULL,      -- SHA-256 of the file bytes (';'-separated for a batch)
    imported_at   VARCHAR NOT NULL,      -- UTC, ISO 8601
    imported_by   VARCHAR NOT NULL,
    source_urls   VARCHAR,               -- the source URL given for the whole file, if any
    council       VARCHAR,               -- j_fusion | fusion_cluster when the file is that council's member list
    rows_added    INTEGER NOT NULL,
    rows_updated  INTEGER NOT NULL,
    status        VARCHAR NOT NULL,      -- applied | undone
    undone_at     VARCHAR,
    undone_by     VARCHAR
);

CREATE TABLE record_history (
    import_id  VARCHAR NOT NULL,
    org_id     VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,          -- added | updated
    changed    VARCHAR[] NOT NULL,        -- columns the import changed
    before     VARCHAR,                   -- JSON of the whole record before the import (NULL when added)
    unmapped   VARCHAR,                   -- capability text of the file that was not mapped to a slug
    PRIMARY KEY (import_id, org_id)
);

-- Coordinates of the roster's free-text places (data/places.csv, reviewed; see fusion_partners.places).
CREATE TABLE places (
    country        VARCHAR NOT NULL,   -- ISO 3166-1 alpha-2, as in organisations
    place          VARCHAR NOT NULL,   -- exactly organisations.prefecture_or_city
    latitude       DOUBLE,             -- WGS84; NULL for precision 'region'
    longitude      DOUBLE,
    precision      VARCHAR NOT NULL,   -- city | nearby | region (not drawn)
    gazetteer_name VARCHAR,            -- the GeoNames populated place drawn
    geonames_id    VARCHAR,
    source         VARCHAR,            -- where the point comes from (GeoNames id, licence)
    note           VARCHAR,            -- review note (why nearby / why not drawn)
    PRIMARY KEY (country, place)
);

-- Partner finder (see src/fusion_partners/partners.py).
CREATE TABLE partner_rules (            -- data/supply_map.csv, validated
    rule_id      INTEGER PRIMARY KEY,   -- 1-based data row of the map
    kind         VARCHAR NOT NULL,      -- supply_chain | demonstration | innovation
    demand       VARCHAR NOT NULL,      -- capability slug of the side that needs, or '*'
    demand_types VARCHAR[] NOT NULL,    -- organisation types allowed on that side ([] = any)
    supply       VARCHAR NOT NULL,      -- capability slug of the side that offers, or '*'
    supply_types VARCHAR[] NOT NULL,
    weight       DOUBLE NOT NULL,       -- 0 < weight <= 5; 1.0 = a core need
    rationale    VARCHAR NOT NULL,      -- English
    rationale_ja VARCHAR NOT NULL       -- Japanese ('' = show the English one)
);

CREATE TABLE capability_stats (         -- computed by the build from organisation_capabilities
    slug   VARCHAR PRIMARY KEY,
    n_orgs INTEGER NOT NULL,            -- organisations holding the capability
    idf    DOUBLE                       -- ln(N / n_orgs), N = all organisations; NULL when n_orgs = 0
);
