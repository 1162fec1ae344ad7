//! Assigns lines to tests. OWNER: lead.
