"""The curated data: roster format, links, memberships, places, the build and crash-safe writes."""
