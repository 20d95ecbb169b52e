"""The co-production evidence hub: check case studies and build the public site from them."""
