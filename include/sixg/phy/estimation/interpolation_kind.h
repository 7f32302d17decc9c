// How channel estimates at pilots are carried to the other REs (--interpolation nn|lin).
#pragma once

namespace sixg::phy {

enum class InterpolationKind {
  nearest,  // `nn`: the nearest pilot's estimate (ties -> the lower subcarrier / earlier symbol), as Sionna
  linear,   // `lin`: linear between the two surrounding pilots; outside the pilots, the nearest one
};

}  // namespace sixg::phy
