// Drafts kept in the browser's storage (src/ui/drafts.cpp).
