//! The fan-out tier's decisions. An object sends a message to its sockets one after another, about
//! 66 µs each, and does nothing else meanwhile; so no object may hold more viewers than it can reach
//! within the freshness budget. A live source (an event object, or the standings object's medal table)
//! keeps [`DIRECT_VIEWERS`] itself and publishes each message to a tree of relay objects: its
//! [`FANOUT`] first-level relays each forward it to as many viewers and to their own children, and so on
//! for [`LEVELS`] levels, so every object sends to at most its budget of sockets plus children.
//!
//! - [`sizing`]: the limits, derived from the measured cost per socket, the target and the audience.
//! - [`tree`]: the tree's shape (a relay's parent, children and level) and the read gateway's [`Walk`].
//! - [`admission`]: where an object sends a viewer it cannot hold ([`RelaySet`]), and when a relay leaves.
//! - [`forwarding`]: which publications a relay hands on ([`Forwarded`]), and whether as a patch.

pub mod admission;
pub mod forwarding;
pub mod sizing;
pub mod tree;

pub use admission::{
    Admission, MAX_DIRECT_VIEWERS, RelaySet, direct_limit, has_room, should_leave,
};
pub use forwarding::{Forward, Forwarded, forward};
pub use sizing::{DIRECT_VIEWERS, FANOUT, LEVELS, RELAYS, SENDS_PER_OBJECT};
pub use tree::{MAX_TRIES, Node, Tree, Walk};
