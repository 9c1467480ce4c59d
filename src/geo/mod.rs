//! Maps drawn at build time (issue 15, in progress): the projection of longitudes and
//! latitudes onto a map ([`project`]) and the simplification of shapes to what a map
//! of a page can show, shared borders kept shared ([`simplify`]).

pub mod project;
pub mod simplify;
