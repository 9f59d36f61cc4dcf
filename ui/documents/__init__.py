"""Documents inside the program (issue 6): page images, the preview with Print and Save as PDF,
and the complaint view's Documents menu."""
