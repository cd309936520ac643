# A gen9-to-gen12-flavoured Intel display: two pipes, each with a universal
# primary, two sprite overlays and a cursor. Tiled modifiers (X, Y, Yf,
# Tile4) on every non-cursor plane; CCS (render compression) only on the
# primaries, so a CCS framebuffer can be created but only a primary shows
# it, and only for the 8888 RGB formats i915 allows. zpos is immutable
# (primary 0, sprites 1 and 2, cursor 3), as i915 creates it. The cursor
# takes 256x256 linear ARGB8888 only. Sprites offer the i915 colorkey
# ioctl. Scaling: up to 8x up and just under 3x down (skl_plane_max_scale).
name intel-like
description Intel-like: X/Y/Yf/Tile4 tiling, CCS on primaries, immutable zpos, 256x256 cursor
crtc-count 2
gamma-lut-size 1024
cursor-max 256x256

# What the GPU samples (the default dmabuf feedback): every tiling the
# planes use for the RGB formats; render compression for the 8888 formats
# only, and only in the families whose CCS lives inside the buffer (gen9-11
# Y/Yf CCS, gen12 RC CCS with and without clear colour, MTL's Tile4 RC
# CCS), because only there can composition see that a buffer is clear
# before it reads the main surface. DG2, LNL and BMG keep CCS out of band,
# where a compressed buffer would be shown wrongly and without an error.
# YUV is sampled linear, X- or Y-tiled. Pairs on no plane: the 8888
# formats with the CCS_CC and MTL modifiers, and XBGR2101010, ABGR2101010
# and the ARGB, XBGR and ABGR half-float formats with any modifier.
render XRGB8888 ARGB8888 XBGR8888 ABGR8888 : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED Y_TILED_CCS Yf_TILED_CCS Y_TILED_GEN12_RC_CCS Y_TILED_GEN12_RC_CCS_CC 4_TILED_MTL_RC_CCS 4_TILED_MTL_RC_CCS_CC
render RGB565 XRGB2101010 ARGB2101010 XBGR2101010 ABGR2101010 XRGB16161616F ARGB16161616F XBGR16161616F ABGR16161616F : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED
render NV12 P010 : LINEAR X_TILED Y_TILED

connector Virtual-1
mode 1920x1080@60 preferred
mode 2560x1440@60
mode 1280x720@60

connector Virtual-2
mode 1920x1080@60 preferred
mode 1024x768@60

plane primary
crtcs 0
formats XRGB8888 ARGB8888 XBGR8888 ABGR8888 : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED Y_TILED_CCS Yf_TILED_CCS Y_TILED_GEN12_RC_CCS
formats RGB565 XRGB2101010 ARGB2101010 XRGB16161616F NV12 P010 : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED
zpos 0 0 0 immutable
rotation ROTATE_0 ROTATE_90 ROTATE_180 ROTATE_270 REFLECT_X
scaling 1/8 0x2ffff
max-fb 8192x8192
max-src 5120x4096
max-dst 5120x4096
blend None Pre-multiplied Coverage
alpha yes
color-encoding BT601 BT709 BT2020 default BT601
color-range limited full default limited

plane overlay
crtcs 0
formats XRGB8888 ARGB8888 XBGR8888 ABGR8888 RGB565 XRGB2101010 ARGB2101010 XRGB16161616F NV12 P010 : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED
zpos 1 1 1 immutable
rotation ROTATE_0 ROTATE_90 ROTATE_180 ROTATE_270 REFLECT_X
scaling 1/8 0x2ffff
max-fb 8192x8192
max-src 4096x4096
max-dst 4096x4096
blend None Pre-multiplied Coverage
alpha yes
color-encoding BT601 BT709 BT2020 default BT601
color-range limited full default limited
colorkey i915

plane overlay
crtcs 0
formats XRGB8888 ARGB8888 XBGR8888 ABGR8888 RGB565 XRGB2101010 ARGB2101010 XRGB16161616F NV12 P010 : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED
zpos 2 2 2 immutable
rotation ROTATE_0 ROTATE_90 ROTATE_180 ROTATE_270 REFLECT_X
scaling 1/8 0x2ffff
max-fb 8192x8192
max-src 4096x4096
max-dst 4096x4096
blend None Pre-multiplied Coverage
alpha yes
color-encoding BT601 BT709 BT2020 default BT601
color-range limited full default limited
colorkey i915

plane cursor
crtcs 0
formats ARGB8888 : LINEAR
zpos 3 3 3 immutable
rotation ROTATE_0 ROTATE_180
scaling none
max-fb 256x256

plane primary
crtcs 1
formats XRGB8888 ARGB8888 XBGR8888 ABGR8888 : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED Y_TILED_CCS Yf_TILED_CCS Y_TILED_GEN12_RC_CCS
formats RGB565 XRGB2101010 ARGB2101010 XRGB16161616F NV12 P010 : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED
zpos 0 0 0 immutable
rotation ROTATE_0 ROTATE_90 ROTATE_180 ROTATE_270 REFLECT_X
scaling 1/8 0x2ffff
max-fb 8192x8192
max-src 5120x4096
max-dst 5120x4096
blend None Pre-multiplied Coverage
alpha yes
color-encoding BT601 BT709 BT2020 default BT601
color-range limited full default limited

plane overlay
crtcs 1
formats XRGB8888 ARGB8888 XBGR8888 ABGR8888 RGB565 XRGB2101010 ARGB2101010 XRGB16161616F NV12 P010 : LINEAR X_TILED Y_TILED Yf_TILED 4_TILED
zpos 1 1 1 immutable
rotation ROTATE_0 ROTATE_90 ROTATE_180 ROTATE_270 REFLECT_X
scaling 1/8 0x2ffff
max-fb 8192x8192
max-src 4096x4096
max-dst 4096x4096
blend None Pre-multiplied Coverage
alpha yes
color-encoding BT601 BT709 BT2020 default BT601
color-range limited full default limited
colorkey i915

plane cursor
crtcs 1
formats ARGB8888 : LINEAR
zpos 3 3 3 immutable
rotation ROTATE_0 ROTATE_180
scaling none
max-fb 256x256
