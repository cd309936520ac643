# VKMS as drivers/gpu/drm/vkms builds it with overlays enabled: one CRTC,
# one Virtual connector, a primary plane, NUM_OVERLAY_PLANES (8) overlays
# and a cursor. Every plane shares one format list (vkms_plane.c
# vkms_formats) and, having no format_modifiers, only LINEAR. Planes carry
# rotation (all rotations and reflections) and the colour properties
# (default BT601, full range), and no zpos, alpha or blend mode. VKMS does
# not scale (DRM_PLANE_NO_SCALING). Sizes: XRES_MAX/YRES_MAX 8192.
name vkms
description Virtual KMS: primary, 8 overlays and cursor, linear only, writeback
crtc-count 1
gamma-lut-size 256 at-most
cursor-max 64x64
writeback ARGB8888 XRGB8888 XRGB16161616 ARGB16161616 RGB565

# VKMS has no GPU: the render set is what a CPU renderer reads, the
# primary plane's formats, linear.
render ARGB8888 XRGB8888 ABGR8888 XRGB16161616 ARGB16161616 RGB565 : LINEAR
render NV12 NV16 NV24 NV21 NV61 NV42 : LINEAR
render YUV420 YUV422 YUV444 YVU420 YVU422 YVU444 : LINEAR
render R1 R2 R4 R8 : LINEAR

connector Virtual-1
mode 1024x768@60 preferred
mode 1920x1080@60
mode 1280x720@60
mode 800x600@60
mode 640x480@60

plane primary
crtcs all
formats ARGB8888 XRGB8888 ABGR8888 XRGB16161616 ARGB16161616 RGB565 : LINEAR
formats NV12 NV16 NV24 NV21 NV61 NV42 : LINEAR
formats YUV420 YUV422 YUV444 YVU420 YVU422 YVU444 : LINEAR
formats R1 R2 R4 R8 : LINEAR
rotation ROTATE_0 ROTATE_90 ROTATE_180 ROTATE_270 REFLECT_X REFLECT_Y
scaling none
max-fb 8192x8192
color-encoding BT601 BT709 BT2020 default BT601
color-range limited full default full

plane overlay
count 8
crtcs all
formats ARGB8888 XRGB8888 ABGR8888 XRGB16161616 ARGB16161616 RGB565 : LINEAR
formats NV12 NV16 NV24 NV21 NV61 NV42 : LINEAR
formats YUV420 YUV422 YUV444 YVU420 YVU422 YVU444 : LINEAR
formats R1 R2 R4 R8 : LINEAR
rotation ROTATE_0 ROTATE_90 ROTATE_180 ROTATE_270 REFLECT_X REFLECT_Y
scaling none
max-fb 8192x8192
color-encoding BT601 BT709 BT2020 default BT601
color-range limited full default full

plane cursor
crtcs all
formats ARGB8888 XRGB8888 ABGR8888 XRGB16161616 ARGB16161616 RGB565 : LINEAR
formats NV12 NV16 NV24 NV21 NV61 NV42 : LINEAR
formats YUV420 YUV422 YUV444 YVU420 YVU422 YVU444 : LINEAR
formats R1 R2 R4 R8 : LINEAR
rotation ROTATE_0 ROTATE_90 ROTATE_180 ROTATE_270 REFLECT_X REFLECT_Y
scaling none
max-fb 8192x8192
color-encoding BT601 BT709 BT2020 default BT601
color-range limited full default full
