"""Views of the coworking app: public pages, the person's own, the front desk, feeds."""
