//! `juesuan audit`：核对一份已经发布的部门决算 PDF。
//!
//! The pipeline of an audit, one module per step:
//!
//! ```text
//! PDF ──pdf──> glyphs and ruling lines per page ──tables──> 公开表 grids ──import──> facts
//!     ──check──> findings (page, table, row, column; printed value, right value, rule code)
//! ```
//!
//! Tables are recognised from their ruling lines and handed, as grids, to the same importer that
//! reads 公开表 workbooks; the facts read are then checked by the same rules as any input.

pub mod layout;
pub mod pdf;
