// Loading a dataset from a file (picker, drag-and-drop) or a URL for the data panel (src/ui/data_panel.cpp).
