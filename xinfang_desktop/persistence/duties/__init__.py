"""职责落实: the periodic duties of bodies and leaders (meetings, inspections, screenings) and their compliance."""
