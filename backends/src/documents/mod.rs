//! Documents people sign: the procurement specification (Appendix F) and
//! the checklist evidence (Appendix E).
