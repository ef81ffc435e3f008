//! The one integration-test binary of mailward-core. Tests may read files; the engine may not.
#![allow(clippy::disallowed_methods)]

mod fixtures;
