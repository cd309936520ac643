# A Samsung Exynos mixer-style display: a linear RGB primary (graphic
# layer), a video overlay that scans out NV12, linearly or in Samsung's
# 64x32 macroblock tiles (NV12MT, DRM_FORMAT_MOD_SAMSUNG_64_32_TILE), and a
# second linear RGB graphic layer. No cursor plane; zpos is mutable; the
# video layer scales.
name exynos-like
description Exynos-like: linear RGB primary, NV12 video overlay in Samsung 64x32 tiles
crtc-count 1
gamma-lut-size 0
cursor-max 64x64
writeback XRGB8888 ARGB8888

# What the GPU samples: everything linear, and NV12 also in Samsung's 64x32
# tiles, the layout the Exynos video decoder (MFC) writes, so decoded
# frames reach composition without a copy. XBGR8888 and ABGR8888 are
# sampled but on no plane.
render XRGB8888 ARGB8888 XBGR8888 ABGR8888 RGB565 XRGB1555 ARGB1555 : LINEAR
render NV12 : LINEAR SAMSUNG_64_32_TILE
render NV21 : LINEAR

connector Virtual-1
mode 1920x1080@60 preferred
mode 1280x720@60

plane primary
crtcs all
formats XRGB8888 ARGB8888 RGB565 XRGB1555 ARGB1555 : LINEAR
zpos 0 0 3
rotation ROTATE_0
scaling none
max-fb 4096x4096
blend None Pre-multiplied Coverage
alpha yes

plane overlay
crtcs all
formats NV12 : LINEAR SAMSUNG_64_32_TILE
formats NV21 : LINEAR
zpos 1 0 3
rotation ROTATE_0
scaling 1/4 4
max-fb 4096x4096
max-src 1920x1080
max-dst 4096x4096
blend None Pre-multiplied
color-encoding BT601 BT709 default BT601
color-range limited full default limited

plane overlay
crtcs all
formats XRGB8888 ARGB8888 RGB565 : LINEAR
zpos 2 0 3
rotation ROTATE_0
scaling none
max-fb 4096x4096
blend None Pre-multiplied Coverage
alpha yes
