//! The report. OWNER: lead.
use serde::Serialize;

pub const REPORT_SCHEMA: &str = "faultline.report/v1";

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
}
