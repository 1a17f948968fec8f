Gem::Specification.new do |spec|
  spec.name = "localgem"
  spec.version = "0.0.7"
  spec.summary = "Portcullis fixture: a localgem"
  spec.authors = ["Portcullis fixture authors"]
  spec.files = []
end
