"""PowerPoint writer in two stages: ``plan.py`` (neutral tree → typed slide plan with every
box and font size decided by measuring text) and ``writer.py`` (plan → .pptx with python-pptx).

Import :class:`roi_in_a_box.render.pptx.writer.PptxRenderer` directly (python-pptx is
imported only by the writer).
"""
