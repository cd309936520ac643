# A Renesas R-Car Gen3 DU-like display, where each CRTC's planes are VSP2
# (VSPD) inputs, as rcar_du_vsp.c creates them: one CRTC with a primary and
# four overlays (a VSPD has five inputs), all linear, a subset of
# rcar_du_vsp_formats that composition reads (RGB565, the 1555 and 8888
# RGB formats, 2- and 3-plane YUV 4:2:0 and 4:2:2). The primary's zpos is
# immutable 0; the overlays' zpos is mutable from 1 to 4 with default 1,
# as drm_plane_create_zpos_property(plane, 1, 1, num_planes - 1) makes it.
# No scaling, ROTATE_0 only, no cursor plane, no writeback, a 256-entry
# gamma LUT as the Gen3 CMM has.
#
# Colorkey: "colorkey rcar-gen3" gives every plane the rcar-du "colorkey"
# range property (0..0x01ffffff, bit 24 enables, bits 23:0 the RGB888 key),
# whose definition and meaning are upstream (rcar_du_plane.c, where only the
# Gen2 DU overlays have it), PLUS parts that are OUR EXTENSION, taken from
# the unmerged R-Car Gen3 patch "rcar-du, vsp1: rcar-gen3: Add support for
# colorkey alpha blending": the "colorkey_alpha" range property (0..255,
# default 0, the alpha a keyed pixel takes), colorkey on the Gen3 VSP planes
# (primary included) at all, and on YUV formats a comparison of only Y,
# held in the key's G bits.
# Plane alpha on every plane also follows that patch's era, which attached
# "alpha" to all planes; upstream now gives it to overlays only.
name rcar-like
description R-Car Gen3 DU-like: VSP planes, mutable overlay zpos, colorkey with colorkey_alpha (extension), linear only
crtc-count 1
gamma-lut-size 256

# What the GPU samples: the planes' formats, linear only; there are no
# R-Car modifiers to sample.
render RGB565 XRGB1555 ARGB1555 XRGB8888 ARGB8888 NV12 NV21 NV16 NV61 YUV420 YVU420 : LINEAR

connector Virtual-1
mode 1920x1080@60 preferred
mode 1280x720@60

plane primary
crtcs all
formats RGB565 XRGB1555 ARGB1555 XRGB8888 ARGB8888 NV12 NV21 NV16 NV61 YUV420 YVU420 : LINEAR
zpos 0 0 0 immutable
rotation ROTATE_0
scaling none
max-fb 8190x8190
alpha yes
colorkey rcar-gen3

plane overlay
crtcs all
count 4
formats RGB565 XRGB1555 ARGB1555 XRGB8888 ARGB8888 NV12 NV21 NV16 NV61 YUV420 YVU420 : LINEAR
zpos 1 1 4
rotation ROTATE_0
scaling none
max-fb 8190x8190
alpha yes
colorkey rcar-gen3
