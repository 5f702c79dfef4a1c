// Picking images and videos, decoding them for thumbnails (src/ui/media.cpp).
