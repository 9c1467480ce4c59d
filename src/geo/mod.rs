//! Geometry for the maps drawn at build time (`render::map`): the shapes
//! of territories read from GeoJSON ([`read`]), the projection of longitudes and
//! latitudes onto a map ([`project`]) and the simplification of shapes to what a map
//! of a page can show, shared borders kept shared ([`simplify`]).

pub mod project;
pub mod read;
pub mod simplify;
